package org.complainthub;

import org.complainthub.tools.Tools;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {
    public static void main(String[] args) {
        // IT's tools (try, check) run from the same jar before anything of the hub starts: no broker, database or port
        if (Tools.isTool(args)) {
            System.exit(Tools.main(args));
        }
        SpringApplication.run(HubApplication.class, args);
    }
}
