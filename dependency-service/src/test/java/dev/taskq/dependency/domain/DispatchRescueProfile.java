package dev.taskq.dependency.domain;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The dispatch rescue on (it is off for other tests): a dispatch left unstarted for 2 s is re-sent, looked for every
 * second. Leases of 3 s, so a rescued attempt's worker that never starts it is noticed lost within about 4 s.
 */
public class DispatchRescueProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "taskq.dependency.dispatch-rescue.enabled", "true",
                "taskq.dependency.dispatch-rescue.after", "2s",
                "taskq.dependency.dispatch-rescue.interval", "1s",
                "taskq.dependency.lease-duration", "3s");
    }
}
