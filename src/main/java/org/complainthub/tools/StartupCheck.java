package org.complainthub.tools;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The hub runs {@code check} on its own folders and settings when it starts, before any other bean is made (the
 * broker, the database, Camel): a problem stops the start with every message at once, each naming file and key.
 * Notes are logged. The settings are the hub's own (its environment with every override), so a channel switched off
 * needs no secrets.
 */
@Component
public class StartupCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final Logger LOG = LoggerFactory.getLogger(StartupCheck.class);

    private Environment env;

    @Override
    public void setEnvironment(Environment environment) {
        this.env = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        long start = System.nanoTime();
        HubCheck.Result result = HubCheck.run(HubFolders.of(env), env);
        result.notes().forEach(note -> LOG.warn("check: {}", note));
        if (!result.ok()) {
            throw new IllegalStateException("the hub's configuration has " + result.problems().size()
                    + " problem(s) (java -jar complaint-hub.jar check lists the same):\n  "
                    + String.join("\n  ", result.problems()));
        }
        LOG.info("check: {} fine in {} ms", result.summary(), (System.nanoTime() - start) / 1_000_000);
    }
}
