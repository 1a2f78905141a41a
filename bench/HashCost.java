import io.quarkus.elytron.security.common.BcryptUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The cost of a new user's password hashes alone, computed as the service computes them: bcrypt
 * (BcryptUtil over a 44-character SHA-256 pre-hash) for the API and Argon2id (Bouncy Castle, p=1,
 * 32-byte hash) for the mail server. Prints hashes/s and ms per hash with 1 thread and with one
 * thread per core, for each and for both together (what creating one user costs).
 *
 *   java -cp 'target/quarkus-app/lib/main/*' bench/HashCost.java [bcrypt cost] [argon2 KiB] [argon2 passes] [seconds]
 */
public class HashCost {
    public static void main(String[] args) throws Exception {
        int cost = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int kib = args.length > 1 ? Integer.parseInt(args[1]) : 19456;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long seconds = args.length > 3 ? Long.parseLong(args[3]) : 10;
        String prehash = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
        Runnable bcrypt = () -> BcryptUtil.bcryptHash(prehash, cost);
        Runnable argon2 = () -> argon2("q7RmZ2xkPwa9TnE4bV3c", kib, passes);
        Runnable both = () -> {
            bcrypt.run();
            argon2.run();
        };
        measure("bcrypt cost " + cost, bcrypt, seconds);
        measure("argon2id m=" + kib + " KiB t=" + passes, argon2, seconds);
        measure("both (one new user)", both, seconds);
    }

    static void argon2(String password, int kib, int passes) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(kib).withIterations(passes).withParallelism(1).withSalt(new byte[16]).build());
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), new byte[32]);
    }

    static void measure(String label, Runnable hash, long seconds) throws Exception {
        for (int i = 0; i < 3; i++) {
            hash.run(); // warm-up
        }
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Future<Integer>> counts = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        hash.run();
                        n++;
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> c : counts) {
                total += c.get();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            System.out.printf("%-34s %d thread(s): per second=%.1f ms each=%.1f%n", label, threads, total / elapsed,
                    1000.0 * elapsed * threads / total);
        }
    }
}
