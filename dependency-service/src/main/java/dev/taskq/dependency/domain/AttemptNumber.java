package dev.taskq.dependency.domain;

/**
 * An attempt's number, and its number among the attempts that count against the task's {@code maxAttempts}: a dispatch
 * withdrawn unstarted and re-sent to a free worker ({@link DispatchRescue}) took an attempt number but is no try of the
 * task, so it does not count (see {@link RescuedAttempts}).
 *
 * @param number the attempt's own number (the {@code task_attempts} row, the fencing token)
 * @param counted how many attempts up to and including this one count: {@code number} minus the rescued ones before it
 */
public record AttemptNumber(int number, int counted) {

    public AttemptNumber {
        if (counted < 1 || counted > number) {
            throw new IllegalArgumentException("counted must be within 1.." + number + ", got " + counted);
        }
    }

    /** An attempt of a task none of whose earlier attempts was rescued. */
    public static AttemptNumber of(int number) {
        return new AttemptNumber(number, number);
    }

    /** How many attempts before this one count for nothing. */
    public int rescuedBefore() {
        return number - counted;
    }

    /**
     * The attempt as a task's reason names it: {@code attempt 2 of 3}, or after rescues
     * {@code attempt 3 (counted 2 of 3; 1 rescued dispatch not counted)}.
     */
    public String describe(int maxAttempts) {
        if (rescuedBefore() == 0) {
            return "attempt " + number + " of " + maxAttempts;
        }
        return "attempt " + number + " (counted " + counted + " of " + maxAttempts + "; " + rescuedBefore()
                + (rescuedBefore() == 1 ? " rescued dispatch" : " rescued dispatches") + " not counted)";
    }
}
