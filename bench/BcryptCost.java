import io.quarkus.elytron.security.common.BcryptUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the password hash alone, as the service computes it (BcryptUtil over a 44-character
 * SHA-256 pre-hash): hashes/s and ms per hash with 1 thread and with one thread per core.
 *
 *   java -cp 'target/quarkus-app/lib/main/*' bench/BcryptCost.java [cost] [seconds]
 */
public class BcryptCost {
    public static void main(String[] args) throws Exception {
        int cost = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 10;
        String prehash = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
        for (int i = 0; i < 5; i++) {
            BcryptUtil.bcryptHash(prehash, cost); // warm-up
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
                        BcryptUtil.bcryptHash(prehash, cost);
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
            System.out.printf("bcrypt cost %d, %d thread(s): hashes/s=%.1f ms/hash=%.1f%n", cost, threads, total / elapsed,
                    1000.0 * elapsed * threads / total);
        }
    }
}
