import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * A throw-away Neo4j 5 community server for phasegraph's tests: Bolt on 127.0.0.1 only,
 * authentication on, user {@code neo4j} with the given password (never locked out after failed logins).
 *
 * <p>Usage: {@code java -cp <neo4j jars> TestServer.java HOME PORT PASSWORD}. HOME holds the
 * database files and logs. Once the password is set the server writes {@code HOME/ready}; it runs
 * until it gets SIGTERM (or SIGINT), then shuts the databases down cleanly.
 */
public final class TestServer {
    private TestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TestServer HOME PORT PASSWORD");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        Path ready = home.resolve("ready");
        Files.deleteIfExists(ready);

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Tests log in with a wrong password on purpose; never lock the user out for it.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(512))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            stopped.countDown();
        }, "neo4j-test-server-shutdown"));

        service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        Files.writeString(ready, "bolt://127.0.0.1:" + port + "\n");
        System.out.println("neo4j test server ready on bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
