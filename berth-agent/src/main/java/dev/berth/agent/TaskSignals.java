package dev.berth.agent;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What reaches a task runner from outside its thread: wake-ups (a Docker event about one of its
 * containers, or the engine's periodic reconcile), a stop request with its reason, and detachment.
 * A wake-up is kept until the runner takes it, so one that comes while the runner is busy is not
 * lost; the runner then looks at Docker once for any number of them.
 */
final class TaskSignals {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long requested;
  private long taken;
  private long handled;
  private boolean idle;
  private String stopReason;
  private boolean detached;

  /**
   * Asks the runner to look at its containers again; returns the ticket {@link #awaitHandled}
   * takes.
   */
  long wake() {
    lock.lock();
    try {
      requested++;
      changed.signalAll();
      return requested;
    } finally {
      lock.unlock();
    }
  }

  /** Asks the task to stop with the reason; a later request keeps the first reason. */
  void requestStop(String reason) {
    lock.lock();
    try {
      if (stopReason == null) {
        stopReason = reason;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Tells the runner to let go of its task, leaving the containers as they are. */
  void detach() {
    lock.lock();
    try {
      detached = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Returns true once a stop was requested. */
  boolean stopRequested() {
    return stopReason() != null;
  }

  /** Returns the reason the task was asked to stop with, or null. */
  String stopReason() {
    lock.lock();
    try {
      return stopReason;
    } finally {
      lock.unlock();
    }
  }

  /** Returns true once the runner was told to let go. */
  boolean detached() {
    lock.lock();
    try {
      return detached;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits, at most the timeout (null for no limit), until a wake-up not yet taken, a stop request
   * or detachment; takes the pending wake-ups. Throws {@link InterruptedException} when
   * interrupted.
   */
  void await(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      handled = taken;
      idle = true;
      changed.signalAll();
      long nanos = timeout == null ? 0 : timeout.toNanos();
      while (requested == taken && stopReason == null && !detached) {
        if (timeout == null) {
          changed.await();
        } else if (nanos > 0) {
          nanos = changed.awaitNanos(nanos);
        } else {
          break;
        }
      }
      idle = false;
      taken = requested;
    } finally {
      lock.unlock();
    }
  }

  /** Marks every wake-up handled because the runner has finished and takes no more. */
  void finished() {
    lock.lock();
    try {
      handled = Long.MAX_VALUE;
      taken = requested;
      idle = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the runner has looked at Docker after the wake-up with that ticket and is waiting
   * again (or has finished); returns false on timeout.
   */
  boolean awaitHandled(long ticket, Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!(idle && handled >= ticket)) {
        if (nanos <= 0) {
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
