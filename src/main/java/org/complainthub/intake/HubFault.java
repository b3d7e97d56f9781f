package org.complainthub.intake;

import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jms.JmsException;
import org.springframework.transaction.TransactionException;

/**
 * A failure of the hub's own infrastructure (database, broker, data directory), as opposed to a fault of the input.
 * The one place that tells them apart: a channel that counts failed attempts of its input toward quarantine (the
 * email channel's hub.email.max-attempts), or that moves a bad file aside, asks {@link #in(Throwable)} first; a hub
 * fault leaves the source where it is, uncounted, however often it happens.
 * <p>
 * Thrown as such where the hub's own disk fails (the evidence store under the data directory): an IOException there
 * cannot be told from one of the input by its type.
 */
public class HubFault extends RuntimeException {

    public HubFault(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the hub's infrastructure failed somewhere in this exception's chain of causes: a HubFault; the database
     * (SQLException, Spring's DataAccessException and TransactionException, timeouts included), except a value the
     * database refuses (integrity or data exceptions: they depend on the input); the broker (JMSException, Spring's
     * JmsException, Artemis's ActiveMQException, timeouts included).
     */
    public static boolean in(Throwable e) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = e; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof HubFault) {
                return true;
            }
            if (refusedValue(t)) {
                return false;
            }
            if (t instanceof SQLException || t instanceof DataAccessException || t instanceof TransactionException
                    || t instanceof JMSException || t instanceof JMSRuntimeException || t instanceof JmsException
                    || t instanceof ActiveMQException) {
                return true;
            }
        }
        return false;
    }

    /** The database refused a value of the input (too long, a constraint): the same input fails again every time. */
    private static boolean refusedValue(Throwable t) {
        return t instanceof SQLIntegrityConstraintViolationException || t instanceof SQLDataException
                || t instanceof DataIntegrityViolationException;
    }
}
