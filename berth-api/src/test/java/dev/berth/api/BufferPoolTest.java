package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
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

    JsonNode read = onVirtualThread(() -> readTree(json));
    String written = onVirtualThread(() -> write(read));

    assertThat(written).isEqualTo(json);
  }

  private static BufferRecycler acquireAndRelease(RecyclerPool<BufferRecycler> pool) {
    BufferRecycler recycler = pool.acquireAndLinkPooled();
    recycler.releaseToPool();
    return recycler;
  }

  private static JsonNode readTree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T onVirtualThread(Supplier<T> work) throws InterruptedException {
    AtomicReference<T> result = new AtomicReference<>();
    Thread.ofVirtual().start(() -> result.set(work.get())).join();
    return result.get();
  }
}
