package dev.taskq.gateway.domain;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.ConfigProblem;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.common.notification.NotificationEventType;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.store.notification.DeliveryStatus;
import dev.taskq.store.notification.NotificationDeliveryEntity;
import dev.taskq.store.notification.NotificationDeliveryRepository;
import dev.taskq.store.notification.NotificationDestinationEntity;
import dev.taskq.store.notification.NotificationDestinationRepository;
import dev.taskq.store.notification.NotificationSubscriptionEntity;
import dev.taskq.store.notification.NotificationSubscriptionRepository;
import dev.taskq.store.notification.TaskNotificationEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gateway's notification writes: destinations, subscriptions, a task's notify entries and redelivery.
 * Every rule is checked before anything is written, and each problem names its field.
 */
@ApplicationScoped
public class NotificationCommands {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final int MAX_NOTIFY_ENTRIES = 10;

    private final NotificationDestinationRepository destinations;
    private final NotificationSubscriptionRepository subscriptions;
    private final NotificationDeliveryRepository deliveries;
    private final DestinationConfigRules.UrlPolicy urls;
    private final Audit audit;

    public NotificationCommands(NotificationDestinationRepository destinations, NotificationSubscriptionRepository subscriptions,
                                NotificationDeliveryRepository deliveries, GatewayConfig config, Audit audit) {
        this.audit = audit;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.urls = new DestinationConfigRules.UrlPolicy(config.notifications().allowInsecureUrls(),
                config.notifications().allowPrivateAddresses());
    }

    /** A subscription as a client sent it. */
    public record SubscriptionDraft(String destination, List<String> eventTypes, String pool, String label, Integer minPriority) {}

    @Transactional
    public NotificationDestinationEntity createDestination(String name, String type, Map<String, Object> config) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must be 1 to 100 characters of a-z 0-9 . _ -, starting with a letter or digit"));
        }
        Optional<ChannelType> channel = type == null ? Optional.empty() : ChannelType.fromWire(type);
        if (channel.isEmpty()) {
            errors.add(new FieldError("type", "must be discord, telegram or webhook"));
        } else if (config == null) {
            errors.add(new FieldError("config", "is required: the " + type + " destination's settings"));
        } else {
            errors.addAll(problems(channel.get(), config, "config."));
        }
        if (!errors.isEmpty()) {
            throw new InvalidNotificationException(errors);
        }
        if (destinations.findByName(name).isPresent()) {
            throw new NotificationConflictException("A destination named '" + name + "' exists already; pick another name or delete it first.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        NotificationDestinationEntity destination = new NotificationDestinationEntity();
        destination.id = UUID.randomUUID();
        destination.name = name;
        destination.type = channel.get();
        destination.config = new LinkedHashMap<>(config);
        destination.enabled = true;
        destination.createdAt = now;
        destination.updatedAt = now;
        destinations.persist(destination);
        audit.succeeded("destination.create", "destination", destination.id, name);
        return destination;
    }

    @Transactional
    public void deleteDestination(UUID id) {
        if (!destinations.deleteById(id)) {
            throw new NotificationNotFoundException("notification destination", id);
        }
        audit.succeeded("destination.delete", "destination", id);
    }

    /** Enables a destination again, e.g. after its Discord webhook was re-created. */
    @Transactional
    public NotificationDestinationEntity enableDestination(UUID id) {
        NotificationDestinationEntity destination = destinations.findByIdOptional(id)
                .orElseThrow(() -> new NotificationNotFoundException("notification destination", id));
        destination.enabled = true;
        destination.disabledReason = null;
        destination.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        audit.succeeded("destination.enable", "destination", id);
        return destination;
    }

    @Transactional
    public NotificationSubscriptionEntity createSubscription(SubscriptionDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        NotificationDestinationEntity destination = null;
        if (draft.destination() == null || draft.destination().isBlank()) {
            errors.add(new FieldError("destination", "is required: a destination's name or id"));
        } else {
            destination = findDestination(draft.destination()).orElse(null);
            if (destination == null) {
                errors.add(new FieldError("destination", "no destination is named '" + draft.destination() + "' or has that id"));
            }
        }
        List<String> eventTypes = eventTypes(draft.eventTypes(), "eventTypes", errors);
        String labelKey = null;
        String labelValue = null;
        if (draft.label() != null) {
            int equals = draft.label().indexOf('=');
            if (equals <= 0) {
                errors.add(new FieldError("label", "must be key=value, a metadata entry the task must carry"));
            } else {
                labelKey = draft.label().substring(0, equals);
                labelValue = draft.label().substring(equals + 1);
            }
        }
        if (draft.minPriority() != null && (draft.minPriority() < 1 || draft.minPriority() > 10)) {
            errors.add(new FieldError("minPriority", "must be from 1 (lowest) to 10 (highest)"));
        }
        if (draft.pool() != null && !NAME.matcher(draft.pool()).matches()) {
            errors.add(new FieldError("pool", "must be a pool name (a-z 0-9 . _ -)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidNotificationException(errors);
        }
        NotificationSubscriptionEntity subscription = new NotificationSubscriptionEntity();
        subscription.id = UUID.randomUUID();
        subscription.destinationId = destination.id;
        subscription.eventTypes = eventTypes;
        subscription.pool = draft.pool();
        subscription.labelKey = labelKey;
        subscription.labelValue = labelValue;
        subscription.minPriority = draft.minPriority() == null ? null : draft.minPriority().shortValue();
        subscription.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        subscriptions.persist(subscription);
        audit.succeeded("subscription.create", "subscription", subscription.id);
        return subscription;
    }

    @Transactional
    public void deleteSubscription(UUID id) {
        if (!subscriptions.deleteById(id)) {
            throw new NotificationNotFoundException("subscription", id);
        }
        audit.succeeded("subscription.delete", "subscription", id);
    }

    /** Resets a FAILED, DEAD or DISABLED delivery to be sent again now, with the same webhook-id and a fresh retry schedule. */
    @Transactional
    public NotificationDeliveryEntity redeliver(UUID id) {
        NotificationDeliveryEntity delivery = deliveries.lockForUpdate(id)
                .orElseThrow(() -> new NotificationNotFoundException("notification delivery", id));
        if (!DeliveryStatus.redeliverable().contains(delivery.status)) {
            throw new NotificationConflictException("The delivery is " + delivery.status + "; only "
                    + DeliveryStatus.redeliverable().stream().map(Enum::name).sorted().collect(Collectors.joining(", "))
                    + " deliveries can be redelivered.");
        }
        delivery.status = DeliveryStatus.PENDING;
        delivery.retryCount = 0;
        delivery.nextAttemptAt = Instant.now();
        delivery.updatedAt = Instant.now();
        audit.succeeded("delivery.redeliver", "delivery", id);
        return delivery;
    }

    /**
     * Checks a submission's notify list and returns the rows to store with the task (task id still unset);
     * throws {@link InvalidNotificationException} naming each bad field as {@code notify[i].<field>}.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TaskNotificationEntity> resolveNotify(List<NotifyEntry> entries) {
        if (entries == null || entries.isEmpty()) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>();
        if (entries.size() > MAX_NOTIFY_ENTRIES) {
            throw new InvalidNotificationException(List.of(new FieldError("notify", "must list at most " + MAX_NOTIFY_ENTRIES + " destinations")));
        }
        Map<String, NotificationDestinationEntity> named = new HashMap<>();
        destinations.findByNames(entries.stream().map(NotifyEntry::destination).filter(java.util.Objects::nonNull).toList())
                .forEach(destination -> named.put(destination.name, destination));
        List<TaskNotificationEntity> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            NotifyEntry entry = entries.get(i);
            String prefix = "notify[" + i + "].";
            TaskNotificationEntity row = new TaskNotificationEntity();
            row.key = new TaskNotificationEntity.Key(null, i);
            row.enabled = true;
            row.eventTypes = eventTypes(entry.events(), prefix + "events", errors);
            if (entry.destination() != null) {
                if (entry.typeName() != null || !entry.config().isEmpty()) {
                    errors.add(new FieldError(prefix + "destination", "names a configured destination: leave out type and its settings"));
                }
                NotificationDestinationEntity destination = named.get(entry.destination());
                if (destination == null) {
                    errors.add(new FieldError(prefix + "destination", "no destination is named '" + entry.destination()
                            + "'; create it with POST /api/v1/notification-destinations"));
                } else {
                    row.destinationId = destination.id;
                }
            } else if (entry.typeName() == null) {
                errors.add(new FieldError(prefix + "type", "is required unless destination names a configured one: discord, telegram or webhook"));
            } else if (entry.type() == null) {
                errors.add(new FieldError(prefix + "type", "must be discord, telegram or webhook"));
            } else {
                errors.addAll(problems(entry.type(), entry.config(), prefix));
                row.type = entry.type();
                row.config = new LinkedHashMap<>(entry.config());
            }
            rows.add(row);
        }
        if (!errors.isEmpty()) {
            throw new InvalidNotificationException(errors);
        }
        return rows;
    }

    /**
     * Checks a workflow's own notify list: the same entries as a task's, but they hear only the workflow's outcome, so
     * {@code events} may name nothing else. Throws {@link InvalidNotificationException} naming {@code notify[i].<field>}.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TaskNotificationEntity> resolveWorkflowNotify(List<NotifyEntry> entries) {
        List<FieldError> errors = new ArrayList<>();
        List<TaskNotificationEntity> rows = List.of();
        try {
            rows = resolveNotify(entries);
        } catch (InvalidNotificationException e) {
            errors.addAll(e.errors());
        }
        for (int i = 0; entries != null && i < entries.size(); i++) {
            List<String> events = entries.get(i).events() == null ? List.of() : entries.get(i).events();
            for (int j = 0; j < events.size(); j++) {
                String name = String.valueOf(events.get(j));
                // An unknown name was reported by resolveNotify already.
                boolean known = Arrays.stream(NotificationEventType.values()).anyMatch(type -> type.name().equals(name));
                if (known && !NotificationEventType.WORKFLOW_FINISHED.name().equals(name)) {
                    errors.add(new FieldError("notify[" + i + "].events[" + j + "]", "a workflow's notify hears only "
                            + NotificationEventType.WORKFLOW_FINISHED + "; put task events in that task's own notify"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidNotificationException(errors.stream().distinct().toList());
        }
        return rows;
    }

    private Optional<NotificationDestinationEntity> findDestination(String nameOrId) {
        try {
            return destinations.findByIdOptional(UUID.fromString(nameOrId));
        } catch (IllegalArgumentException notAnId) {
            return destinations.findByName(nameOrId);
        }
    }

    private List<FieldError> problems(ChannelType type, Map<String, ?> config, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        for (ConfigProblem problem : DestinationConfigRules.validate(type, config, prefix, urls)) {
            errors.add(new FieldError(problem.field(), problem.message()));
        }
        return errors;
    }

    private static List<String> eventTypes(List<String> names, String field, List<FieldError> errors) {
        if (names == null) {
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            try {
                valid.add(NotificationEventType.valueOf(String.valueOf(names.get(i))).name());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field + "[" + i + "]", "'" + names.get(i) + "' is not an event type; use one of "
                        + Arrays.stream(NotificationEventType.values()).map(Enum::name).collect(Collectors.joining(", "))));
            }
        }
        return valid.stream().distinct().toList();
    }
}
