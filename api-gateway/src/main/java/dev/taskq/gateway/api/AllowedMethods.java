package dev.taskq.gateway.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The methods each API path allows, for the Allow header of a 405: Quarkus REST does not send one itself. */
final class AllowedMethods {

    private static final List<Class<?>> RESOURCES = List.of(TaskResource.class, TaskLogResource.class,
            NotificationDestinationResource.class, SubscriptionResource.class, NotificationDeliveryResource.class,
            ScheduleResource.class, PipelineResource.class, WorkflowResource.class);
    private static final List<Route> ROUTES = routes();

    private AllowedMethods() {}

    static Set<String> at(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : ROUTES) {
            if (route.path().matcher(path).matches()) {
                allowed.add(route.method());
            }
        }
        return allowed;
    }

    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String httpMethod = httpMethodOf(method);
                if (httpMethod != null) {
                    Path sub = method.getAnnotation(Path.class);
                    String template = sub == null ? base : base + "/" + sub.value();
                    routes.add(new Route(httpMethod, Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+") + "/?")));
                }
            }
        }
        return List.copyOf(routes);
    }

    private static String httpMethodOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (httpMethod != null) {
                return httpMethod.value();
            }
        }
        return null;
    }

    private record Route(String method, Pattern path) {}
}
