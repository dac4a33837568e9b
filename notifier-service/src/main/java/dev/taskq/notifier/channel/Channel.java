package dev.taskq.notifier.channel;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.notifier.domain.NotificationMessage;
import dev.taskq.notifier.domain.SendResult;
import dev.taskq.notifier.domain.Target;
import java.util.UUID;

/** Sends one message to one destination of its channel and judges the answer; never throws for a receiver's failure. */
public interface Channel {

    ChannelType type();

    /** {@code deliveryId} is stable across retries and restarts (the webhook-id). */
    SendResult send(Target target, NotificationMessage message, UUID deliveryId);
}
