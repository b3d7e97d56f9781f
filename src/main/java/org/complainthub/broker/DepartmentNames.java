package org.complainthub.broker;

import java.util.Set;

/** The departments complaints are routed to; each has a queue {@code complaints.<name>}. */
public interface DepartmentNames {
    Set<String> departments();
}
