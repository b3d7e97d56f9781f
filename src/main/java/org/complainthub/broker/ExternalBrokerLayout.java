package org.complainthub.broker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With an external broker (spring.artemis.embedded.enabled=false) the hub does not create its queues and diverts: the
 * broker's configuration must (README, "An external broker"). A department queue or desk divert that is missing there
 * would make complaints or their desk copies go nowhere, silently. So the start stops, naming what is missing.
 * <p>
 * Queues are looked up with the core client's queue query, which any user may do. Diverts are not visible that way:
 * they are asked for with a management message (broker attribute divertNames), which needs the {@code manage}
 * permission on the management address; if the broker refuses it, the start goes on with a warning saying so.
 * {@code hub.broker.check-layout=false} skips the check.
 */
@Component
@ConditionalOnProperty(name = "spring.artemis.embedded.enabled", havingValue = "false")
public class ExternalBrokerLayout implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalBrokerLayout.class);

    private final DepartmentNames departments;
    private final String prefix;
    private final List<String> hubQueues;
    private final String url;
    private final String user;
    private final String password;
    private final String managementAddress;
    private final boolean enabled;

    public ExternalBrokerLayout(DepartmentNames departments,
                                @Value("${hub.queues.department-prefix}") String prefix,
                                @Value("${hub.queues.desk},${hub.queues.quarantine},${hub.queues.status},${hub.queues.events},${hub.queues.outbound-send},${hub.queues.outbound-dead},${hub.queues.escalations}") List<String> hubQueues,
                                @Value("${spring.artemis.broker-url}") String url,
                                @Value("${spring.artemis.user:#{null}}") String user,
                                @Value("${spring.artemis.password:#{null}}") String password,
                                @Value("${hub.broker.management-address:activemq.management}") String managementAddress,
                                @Value("${hub.broker.check-layout:true}") boolean enabled) {
        this.departments = departments;
        this.prefix = prefix;
        this.hubQueues = hubQueues;
        this.url = url;
        this.user = user;
        this.password = password;
        this.managementAddress = managementAddress;
        this.enabled = enabled;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        if (enabled) {
            check();
        }
    }

    /** Throws IllegalStateException naming every missing queue and divert. */
    public void check() throws Exception {
        String desk = hubQueues.get(0);
        List<String> queues = new ArrayList<>(hubQueues);
        departments.departments().stream().sorted().forEach(d -> queues.add(prefix + d));
        List<String> missing = new ArrayList<>();
        boolean checkedDiverts;
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(user, password, false, true, true, false, 0)) {
            for (String q : queues) {
                if (!session.queueQuery(SimpleString.of(q)).isExists()) {
                    missing.add("queue " + q);
                }
            }
            Set<String> diverts = divertNames(session);
            checkedDiverts = diverts != null;
            if (diverts != null) {
                departments.departments().stream().sorted().forEach(d -> {
                    if (!diverts.contains("desk-copy-" + d)) {
                        missing.add("divert desk-copy-" + d + " (" + prefix + d + " → " + desk + ", non-exclusive)");
                    }
                });
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The broker at " + url + " lacks what the hub needs: " + String.join(", ", missing)
                    + ". Configure them in the broker (broker.xml, see the README section \"An external broker\"), or the"
                    + " complaints (or their desk copies) would go nowhere.");
        }
        LOG.info("external broker: the {} queues the hub needs are there{}", queues.size(),
                checkedDiverts ? ", and the desk diverts" : "");
    }

    /** The broker's diverts, or null if it does not let this user ask. */
    private Set<String> divertNames(ClientSession session) {
        try (ClientRequestor requestor = new ClientRequestor(session, SimpleString.of(managementAddress))) {
            session.start();
            ClientMessage ask = session.createMessage(false);
            ManagementHelper.putAttribute(ask, ResourceNames.BROKER, "divertNames");
            ClientMessage reply = requestor.request(ask, 5000);
            if (reply == null || !ManagementHelper.hasOperationSucceeded(reply)) {
                LOG.warn("cannot check the desk diverts: the broker did not answer the management query for divertNames{}"
                        + " (give the hub's user the manage permission on {}, see README)", reply == null ? "" : ": "
                        + ManagementHelper.getResult(reply), managementAddress);
                return null;
            }
            Set<String> names = new HashSet<>();
            Object result = ManagementHelper.getResult(reply);
            if (result instanceof Object[] array) {
                for (Object o : array) {
                    names.add(String.valueOf(o));
                }
            }
            return names;
        } catch (Exception e) {
            LOG.warn("cannot check the desk diverts: the broker refused the management query ({}); give the hub's user "
                    + "the manage permission on {} (see README)", e.toString(), managementAddress);
            return null;
        }
    }
}
