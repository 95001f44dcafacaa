package dev.berth.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes a 30-member JSON object once on each of 200,000 new virtual threads, as a state writer's
 * drain does, with Berth's mapper and with one on Jackson's default buffer pool, in six alternating
 * rounds; prints the time of a write measured inside its thread (so without the thread's start and
 * end, which JMH could not leave out) and the garbage collections of each round. Arguments: the
 * writes a thread does (default 1).
 */
public final class BufferPoolBenchmark {
  private static final int WRITES = 200_000;

  private BufferPoolBenchmark() {}

  /** Runs the rounds and prints one line each. */
  public static void main(String[] args) throws InterruptedException, ExecutionException {
    int perThread = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    ObjectMapper jacksonDefault = JsonMapper.builder().addModule(new BlackbirdModule()).build();
    ObjectNode node = Json.object();
    for (int i = 0; i < 30; i++) {
      node.put(
          "member" + i, "arn:aws:ecs:us-east-1:000000000000:task/bench/" + Ids.timeOrderedHex());
    }
    for (int round = 0; round < 6; round++) {
      for (ObjectMapper mapper : new ObjectMapper[] {jacksonDefault, Json.MAPPER}) {
        long collections = collections();
        long insideNanos = 0;
        try (ExecutorService threads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory())) {
          for (int written = 0; written < WRITES; written += perThread) {
            insideNanos +=
                threads
                    .submit(
                        () -> {
                          long started = System.nanoTime();
                          for (int k = 0; k < perThread; k++) {
                            mapper.writeValueAsString(node);
                          }
                          return System.nanoTime() - started;
                        })
                    .get();
          }
        }
        System.out.printf(
            "%-16s %,6d ns a write, %d garbage collections%n",
            mapper == Json.MAPPER ? "BufferPool" : "Jackson's default",
            insideNanos / WRITES,
            collections() - collections);
      }
    }
  }

  private static long collections() {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += collector.getCollectionCount();
    }
    return count;
  }
}
