package org.complainthub.support;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQIOErrorException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * A broker plugin for the embedded Artemis that refuses every send to one address, as a broker does that fails (a full
 * journal, an I/O error) at one step of a transaction while the others work:
 * {@code broker.getActiveMQServer().registerBrokerPlugin(faults)}, then {@link #failSendsTo}, {@link #heal}.
 */
public class BrokerFaults implements ActiveMQServerMessagePlugin {

    private final AtomicLong refused = new AtomicLong();
    private volatile String address;

    public void failSendsTo(String address) {
        refused.set(0);
        this.address = address;
    }

    public void heal() {
        address = null;
    }

    /** Sends refused since {@link #failSendsTo}. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        String failing = address;
        if (failing != null && failing.equals(String.valueOf(message.getAddress()))) {
            refused.incrementAndGet();
            // an I/O error (a failing journal): the broker fails the send's transaction, so its commit fails too
            throw new ActiveMQIOErrorException("send to " + failing + " refused (BrokerFaults)");
        }
    }
}
