package org.complainthub.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.complainthub.health.PollerLeadership;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.master.MasterConsumer;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Which of the routes under {@code master:} this node runs now ({@code leading}) and which wait for another node to
 * fail ({@code standby}), in /actuator/info under {@code cluster}. A poller on standby does not poll: whatever watches
 * a poller's freshness should ask {@link #activeHere} first.
 */
@Component
public class ClusterRoles implements InfoContributor, PollerLeadership {

    /** The route that polls each poller channel's source (routes/email.camel.yaml, routes/hotline.camel.yaml). */
    private static final Map<String, String> POLLERS = Map.of("email", "email-intake", "hotline", "hotline-folder",
            "hotline-sftp", "hotline-sftp");

    private final CamelContext camel;
    private final CamelClusterService service;

    public ClusterRoles(CamelContext camel, CamelClusterService service) {
        this.camel = camel;
        this.service = service;
    }

    /** A started route runs here unless it is under master: and another node leads its namespace. */
    public boolean activeHere(String routeId) {
        Route route = camel.getRoute(routeId);
        if (route == null || !camel.getRouteController().getRouteStatus(routeId).isStarted()) {
            return false;
        }
        return !(route.getConsumer() instanceof MasterConsumer master) || master.isMaster();
    }

    /** Only a poller whose route waits under master: for another node is not led here; anything else is. */
    @Override
    public boolean leadsHere(String channel) {
        Route route = POLLERS.containsKey(channel) ? camel.getRoute(POLLERS.get(channel)) : null;
        return route == null || !(route.getConsumer() instanceof MasterConsumer master) || master.isMaster();
    }

    @Override
    public void contribute(Info.Builder builder) {
        List<String> leading = new ArrayList<>();
        List<String> standby = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (route.getConsumer() instanceof MasterConsumer master
                    && camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                (master.isMaster() ? leading : standby).add(route.getRouteId());
            }
        }
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("node", String.valueOf(service.getId()));
        cluster.put("service", service.getClass().getSimpleName());
        cluster.put("leading", leading);
        cluster.put("standby", standby);
        builder.withDetail("cluster", cluster);
    }
}
