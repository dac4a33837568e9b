package dev.taskq.dependency.domain;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Release without capacity bounding: every ready task goes out at once, whatever the fleet can take. */
public class UncappedReleaseProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("taskq.dependency.release.capacity-bounded", "false");
    }
}
