package dev.berth.api;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

/**
 * Where Jackson's parsers and generators take their buffers from: a platform thread keeps its own,
 * as in Jackson's default pool, while virtual threads share one pool. Jackson's default keeps
 * buffers per thread only, and the state writers run each drain on a new virtual thread, so every
 * drain allocated a fresh set of buffers (kilobytes each) and dropped it again.
 */
final class BufferPool implements RecyclerPool<BufferRecycler> {
  private static final long serialVersionUID = 1L;

  private final RecyclerPool<BufferRecycler> perThread = JsonRecyclerPools.threadLocalPool();
  private final RecyclerPool<BufferRecycler> shared = JsonRecyclerPools.newConcurrentDequePool();

  @Override
  public BufferRecycler acquireAndLinkPooled() {
    // The shared pool links what it lends, so it gets it back whichever thread releases it.
    return current().acquireAndLinkPooled();
  }

  @Override
  public BufferRecycler acquirePooled() {
    return current().acquirePooled();
  }

  @Override
  public void releasePooled(BufferRecycler recycler) {
    current().releasePooled(recycler);
  }

  private RecyclerPool<BufferRecycler> current() {
    return Thread.currentThread().isVirtual() ? shared : perThread;
  }
}
