package dev.taskq.dependency.domain;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Leases of one second, checked every second (the scheduler's shortest period): a lost worker is noticed within about 2 s. */
public class ShortLeaseProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "taskq.dependency.lease-duration", "1s",
                "taskq.dependency.lease-check-interval", "1s");
    }
}
