package dev.taskq.worker.config;

import com.sun.security.auth.module.UnixSystem;
import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.worker.domain.CliOptions;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Produces the values derived from configuration that several worker components share. */
public class WorkerBeans {

    @Produces
    @Singleton
    TopicNames topicNames(KafkaNaming naming) {
        return new TopicNames(naming.topicPrefix());
    }

    @Produces
    @Singleton
    ConsumerGroups consumerGroups(KafkaNaming naming) {
        return new ConsumerGroups(naming.groupPrefix());
    }

    @Produces
    @Singleton
    WorkerIdentity workerIdentity(WorkerConfig config) {
        String host = hostName();
        String workerId = config.id().filter(id -> !id.isBlank()).orElse(host + "-" + ProcessHandle.current().pid());
        return new WorkerIdentity(workerId, host, runsAsRoot());
    }

    @Produces
    @Singleton
    ServedPools servedPools(WorkerConfig config) {
        return new ServedPools(config.pools());
    }

    @Produces
    @Singleton
    CliOptions cliOptions(WorkerConfig config) {
        WorkerConfig.Claude claude = config.claude();
        return new CliOptions(claude.executable(), claude.defaultMaxTurns(), claude.permissionMode(),
                claude.extraArgs().orElse(List.of()), claude.allowedPermissionModes());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnv = System.getenv("HOSTNAME");
            return fromEnv == null || fromEnv.isBlank() ? "unknown-host" : fromEnv;
        }
    }

    private static boolean runsAsRoot() {
        try {
            return new UnixSystem().getUid() == 0;
        } catch (LinkageError | RuntimeException e) {
            // not a Unix JDK, or the jdk.security.auth module is absent
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
