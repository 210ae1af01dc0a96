import java.util.concurrent.TimeUnit;

import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.SecurityException;

/**
 * Readiness probe used by neo4j.sh: connects over Bolt with user/password,
 * runs a query on the default database and prints one READY line.
 * It uses the Java driver that the Neo4j server artifact already depends on.
 *
 * Usage: java -cp <classes>:<neo4j classpath> BoltCheck URI USER TIMEOUT_SECONDS
 * The password is read from the NEO4J_PASSWORD environment variable (kept off
 * the command line so it does not show up in `ps`).
 *
 * Exit codes: 0 ready, 1 not ready before the timeout, 3 authentication rejected.
 */
public class BoltCheck {
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: BoltCheck URI USER TIMEOUT_SECONDS");
            System.exit(2);
        }
        String uri = args[0];
        String user = args[1];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null) {
            System.err.println("BoltCheck: NEO4J_PASSWORD is not set");
            System.exit(2);
        }
        Config config = Config.builder()
                .withLogging(Logging.none())
                .withConnectionTimeout(3, TimeUnit.SECONDS)
                .withMaxConnectionPoolSize(1)
                .withoutEncryption()
                .build();
        String last = "no attempt made";
        do {
            try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic(user, password), config);
                    Session session = driver.session()) {
                Record r = session.run("CALL dbms.components() YIELD name, versions, edition "
                        + "RETURN name, versions[0] AS version, edition").single();
                System.out.println("READY " + r.get("name").asString() + " " + r.get("version").asString()
                        + " " + r.get("edition").asString() + " at " + uri + " (user " + user + ")");
                System.exit(0);
            } catch (SecurityException e) { // includes AuthenticationException
                System.err.println("BoltCheck: authentication rejected: " + e.getMessage());
                System.exit(3);
            } catch (RuntimeException e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        System.err.println("BoltCheck: not ready in time; last error: " + last);
        System.exit(1);
    }
}
