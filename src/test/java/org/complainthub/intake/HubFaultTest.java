package org.complainthub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLDataException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.apache.activemq.artemis.api.core.ActiveMQConnectionTimedOutException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jms.UncategorizedJmsException;
import org.springframework.transaction.CannotCreateTransactionException;

/** What is the hub's fault (never counted against the input) and what is the input's. */
class HubFaultTest {

    @Test
    void databaseBrokerAndDataDirectoryFaultsAreTheHubs() {
        assertThat(HubFault.in(new CannotGetJdbcConnectionException("down", new SQLTransientConnectionException("x")))).isTrue();
        assertThat(HubFault.in(new QueryTimeoutException("slow"))).isTrue();
        assertThat(HubFault.in(new CannotCreateTransactionException("no connection"))).isTrue();
        // the reference sequence wraps its SQLException; Camel wraps what a bean threw
        assertThat(HubFault.in(new RuntimeCamelException(new IllegalStateException("cannot reach the hub database",
                new SQLTimeoutException("lock wait"))))).isTrue();
        assertThat(HubFault.in(new JMSException("broker gone"))).isTrue();
        assertThat(HubFault.in(new UncategorizedJmsException("x", new JMSException("y")))).isTrue();
        assertThat(HubFault.in(new IllegalStateException("cannot name queue", new ActiveMQConnectionTimedOutException()))).isTrue();
        assertThat(HubFault.in(new HubFault("the evidence store failed", new UncheckedIOException(new IOException("No space left on device"))))).isTrue();
    }

    @Test
    void faultsOfTheInputAreNot() {
        assertThat(HubFault.in(SubmissionRejected.of(400, "description", "required", "missing"))).isFalse();
        assertThat(HubFault.in(new IllegalArgumentException("bad charset"))).isFalse();
        // an IOException alone may be the input's (a broken MIME part): only the hub's own store says HubFault
        assertThat(HubFault.in(new UncheckedIOException(new IOException("Missing start boundary")))).isFalse();
        // a value the database refuses fails again every time: the input's
        assertThat(HubFault.in(new DataIntegrityViolationException("value too long", new SQLDataException("22001")))).isFalse();
        assertThat(HubFault.in(new DuplicateKeyException("raced"))).isFalse();
        assertThat(HubFault.in(null)).isFalse();
    }
}
