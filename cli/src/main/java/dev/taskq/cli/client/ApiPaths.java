package dev.taskq.cli.client;

/** The API's paths, with ids the user typed percent-encoded so they can only ever name one resource. */
public final class ApiPaths {

    public static final String TASKS = "/api/v1/tasks";
    public static final String WORKFLOWS = "/api/v1/workflows";
    public static final String SCHEDULES = "/api/v1/schedules";
    public static final String WORKERS = "/api/v1/workers";

    private ApiPaths() {
    }

    public static String task(String id) {
        return TASKS + "/" + ApiClient.encode(id);
    }

    public static String workflow(String id) {
        return WORKFLOWS + "/" + ApiClient.encode(id);
    }

    public static String schedule(String id) {
        return SCHEDULES + "/" + ApiClient.encode(id);
    }
}
