package dev.taskq.notifier.domain;

import java.time.Duration;

/** What one send achieved, as a channel judges the receiver's answer. */
public record SendResult(Outcome outcome, Integer responseCode, String error, Duration retryAfter) {

    /** What to do with the delivery next. */
    public enum Outcome {
        DELIVERED,
        /** Try again later: after retryAfter when the receiver named one, else after the schedule's pause. */
        RETRY,
        /** The receiver rejected the message for good; retrying would not help. */
        FAILED,
        /** The destination is gone or refuses us: disable it and stop sending to it. */
        DISABLE
    }

    public static SendResult delivered(int code) {
        return new SendResult(Outcome.DELIVERED, code, null, null);
    }

    public static SendResult retry(Integer code, String error, Duration retryAfter) {
        return new SendResult(Outcome.RETRY, code, error, retryAfter);
    }

    public static SendResult failed(Integer code, String error) {
        return new SendResult(Outcome.FAILED, code, error, null);
    }

    public static SendResult disable(Integer code, String error) {
        return new SendResult(Outcome.DISABLE, code, error, null);
    }
}
