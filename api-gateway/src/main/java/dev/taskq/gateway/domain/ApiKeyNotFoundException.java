package dev.taskq.gateway.domain;

import java.util.UUID;

/** No API key has the id a request named. */
public class ApiKeyNotFoundException extends RuntimeException {

    public ApiKeyNotFoundException(UUID id) {
        super("No API key exists with id " + id);
    }
}
