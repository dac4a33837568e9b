package dev.taskq.dependency.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Raises Awaitility's default wait from 10 s to 60 s for every test class of this module (registered through
 * META-INF/services, with JUnit's extension autodetection switched on in the pom). The tests check outcomes, not speed: on a loaded 2-core CI machine a
 * pass that releases thousands of tasks and creates topics can take longer than 10 s without anything being wrong.
 */
public class PatientAwaits implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
    }
}
