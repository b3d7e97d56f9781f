package org.complainthub.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Camel cluster service behind the routes under {@code master:<namespace>:...} (the mailbox, the call-log folder
 * and SFTP server, the overdue check, the expiry of old claims): what must happen once runs on the node that leads its
 * namespace, and another node takes over when that one dies. One setting, {@code hub.cluster.service}, chooses:
 * <ul>
 * <li>{@code none} (the default): one node, which leads everything; nothing to run beside the hub;</li>
 * <li>{@code zookeeper}: leader election on a ZooKeeper ensemble ({@code hub.cluster.zookeeper.*}). A node that dies
 * loses its session after {@code session-timeout}, and another takes its namespaces then;</li>
 * <li>{@code kubernetes}: a coordination.k8s.io Lease per namespace ({@code hub.cluster.kubernetes.*}); the pod needs
 * the Lease and Pod permissions of docs/deploy/kubernetes.</li>
 * </ul>
 * Camel picks up the one {@link CamelClusterService} bean as a context service; the {@code master} component finds it
 * there.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterServiceSettings {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterServiceSettings.class);

    @Bean
    CamelClusterService hubClusterService(Environment env) {
        String service = env.getProperty("hub.cluster.service", "none").strip().toLowerCase(Locale.ROOT);
        String nodeId = env.getProperty("hub.cluster.node-id", "").strip();
        CamelClusterService chosen = switch (service) {
            case "none", "" -> new SingleNodeClusterService(nodeId.isEmpty() ? "single-node" : nodeId);
            case "zookeeper" -> zookeeper(env, nodeId.isEmpty() ? defaultNodeId() : nodeId);
            case "kubernetes" -> kubernetes(env, nodeId);
            default -> throw new IllegalStateException("hub.cluster.service=" + service
                    + " is not known: none (one node), zookeeper or kubernetes");
        };
        LOG.info("cluster service: {} (node {})", service.isEmpty() ? "none" : service,
                chosen.getId() != null ? chosen.getId() : "named after the pod");
        return chosen;
    }

    private static ZooKeeperClusterService zookeeper(Environment env, String nodeId) {
        ZooKeeperClusterService zk = new ZooKeeperClusterService();
        zk.setId(nodeId);
        zk.setNodes(required(env, "hub.cluster.zookeeper.nodes"));
        zk.setBasePath(env.getProperty("hub.cluster.zookeeper.base-path", "/complaint-hub"));
        // the ensemble bounds what it grants to [2, 20] x its tickTime (2 s by default: 4 s to 40 s)
        zk.setSessionTimeout(millis(env, "hub.cluster.zookeeper.session-timeout", "5s"));
        zk.setConnectTimeout(millis(env, "hub.cluster.zookeeper.connect-timeout", "5s"));
        return zk;
    }

    private static KubernetesClusterService kubernetes(Environment env, String nodeId) {
        KubernetesClusterService k8s = new KubernetesClusterService();
        // the member ids are pod names: empty means the pod's own name (the HOSTNAME Kubernetes sets)
        if (!nodeId.isEmpty()) {
            k8s.setPodName(nodeId);
        }
        String namespace = env.getProperty("hub.cluster.kubernetes.namespace", "").strip();
        if (!namespace.isEmpty()) {
            k8s.setKubernetesNamespace(namespace);
        }
        String masterUrl = env.getProperty("hub.cluster.kubernetes.master-url", "").strip();
        if (!masterUrl.isEmpty()) {
            k8s.setMasterUrl(masterUrl);
        }
        k8s.setKubernetesResourceName(env.getProperty("hub.cluster.kubernetes.lease-prefix", "complaint-hub"));
        k8s.setClusterLabels(labels(env.getProperty("hub.cluster.kubernetes.pod-labels", "")));
        k8s.setLeaseDurationMillis(millis(env, "hub.cluster.kubernetes.lease-duration", "8s"));
        k8s.setRenewDeadlineMillis(millis(env, "hub.cluster.kubernetes.renew-deadline", "6s"));
        k8s.setRetryPeriodMillis(millis(env, "hub.cluster.kubernetes.retry-period", "1500ms"));
        return k8s;
    }

    /** "app=complaint-hub,tier=intake" as labels: the pods that take part (all pods of the namespace when empty). */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("hub.cluster.kubernetes.pod-labels: expected name=value, got " + pair.strip());
            }
            labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return labels;
    }

    private static String required(Environment env, String key) {
        String value = env.getProperty(key, "").strip();
        if (value.isEmpty()) {
            throw new IllegalStateException(key + " must name the ZooKeeper servers (host:port,host:port,...)");
        }
        return value;
    }

    private static long millis(Environment env, String key, String otherwise) {
        return DurationStyle.detectAndParse(env.getProperty(key, otherwise).strip()).toMillis();
    }

    /** Host name and process id: unique per node, and readable in ZooKeeper's election nodes. */
    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
