package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
  @Test
  void aVirtualThreadReusesTheBuffersAnEndedOneGaveBack() throws Exception {
    BufferPool pool = new BufferPool();

    BufferRecycler first = onVirtualThread(() -> acquireAndRelease(pool));
    BufferRecycler second = onVirtualThread(() -> acquireAndRelease(pool));

    assertThat(second).isSameAs(first);
  }

  @Test
  void jacksonsDefaultPoolGivesEachVirtualThreadNewBuffers() throws Exception {
    // What BufferPool is for: the per-thread pool cannot recycle across short-lived threads.
    RecyclerPool<BufferRecycler> pool = JsonRecyclerPools.threadLocalPool();

    BufferRecycler first = onVirtualThread(() -> acquireAndRelease(pool));
    BufferRecycler second = onVirtualThread(() -> acquireAndRelease(pool));

    assertThat(second).isNotSameAs(first);
  }

  @Test
  void aPlatformThreadKeepsItsOwnBuffers() {
    BufferPool pool = new BufferPool();

    BufferRecycler first = acquireAndRelease(pool);
    BufferRecycler second = acquireAndRelease(pool);

    assertThat(second).isSameAs(first);
  }

  @Test
  void theMapperReadsAndWritesOnVirtualThreads() throws Exception {
    String json = "{\"name\":\"app\",\"cpu\":128,\"ports\":[80,443]}";

    JsonNode read = onVirtualThread(() -> Json.MAPPER.readTree(json));
    String written = onVirtualThread(() -> Json.MAPPER.writeValueAsString(read));

    assertThat(written).isEqualTo(json);
  }

  private static BufferRecycler acquireAndRelease(RecyclerPool<BufferRecycler> pool) {
    BufferRecycler recycler = pool.acquireAndLinkPooled();
    recycler.releaseToPool();
    return recycler;
  }

  /** Runs the work on a virtual thread of its own and returns what it returned. */
  private static <T> T onVirtualThread(Callable<T> work) throws Exception {
    try (ExecutorService thread = Executors.newVirtualThreadPerTaskExecutor()) {
      return thread.submit(work).get();
    }
  }
}
