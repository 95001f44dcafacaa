package dev.berth.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one stats sample of a container from the Docker Engine, closing the stream it opens. */
final class DockerStats {
  private static final Logger LOG = LoggerFactory.getLogger(DockerStats.class);

  /** How long one reading may take: the engine answers a non-streamed request within ~2 s. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private DockerStats() {}

  /** Returns one reading of the container, or null if it is missing, stopped or did not answer. */
  static ContainerStats read(DockerClient docker, String id) {
    Statistics[] first = new Statistics[1];
    try (ResultCallback.Adapter<Statistics> stream =
        docker
            .statsCmd(id)
            .withNoStream(true)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Statistics statistics) {
                    synchronized (first) {
                      if (first[0] == null) {
                        first[0] = statistics;
                      }
                    }
                  }

                  @Override
                  public void onError(Throwable failure) {
                    // The template logs every failure at ERROR; a container that is gone or
                    // stopping is routine here, so note it and end the stream quietly.
                    LOG.debug("stats of container {} ended: {}", id, failure.toString());
                    try {
                      close();
                    } catch (IOException e) {
                      LOG.debug("closing the stats of container {} failed: {}", id, e.toString());
                    }
                  }
                })) {
      if (!stream.awaitCompletion(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.debug("stats of container {} took longer than {}", id, TIMEOUT);
      }
    } catch (NotFoundException gone) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (IOException | RuntimeException e) {
      // A container that stops while it is read is no error: there is simply no sample.
      LOG.debug("stats of container {} failed: {}", id, e.toString());
      return null;
    }
    Statistics statistics;
    synchronized (first) {
      statistics = first[0];
    }
    return statistics == null ? null : toStats(statistics);
  }

  /** Returns the reading in a stats answer, or null if it holds none (a stopped container's). */
  static ContainerStats toStats(Statistics statistics) {
    if (statistics.getCpuStats() == null
        || statistics.getCpuStats().getCpuUsage() == null
        || statistics.getCpuStats().getCpuUsage().getTotalUsage() == null
        || statistics.getRead() == null) {
      return null;
    }
    Instant read;
    try {
      read = Instant.parse(statistics.getRead());
    } catch (DateTimeParseException e) {
      return null;
    }
    // A stopped container's answer carries the zero time and empty counters.
    if (read.getEpochSecond() <= 0) {
      return null;
    }
    long usage = 0;
    long cache = 0;
    MemoryStatsConfig memory = statistics.getMemoryStats();
    if (memory != null && memory.getUsage() != null) {
      usage = memory.getUsage();
      StatsConfig detail = memory.getStats();
      if (detail != null) {
        // cgroup v1 names the page cache "cache"; cgroup v2 has no such key, and the ECS agent
        // subtracts inactive_file there instead.
        if (detail.getCache() != null) {
          cache = detail.getCache();
        } else if (detail.getInactiveFile() != null) {
          cache = detail.getInactiveFile();
        }
      }
    }
    return new ContainerStats(
        read, statistics.getCpuStats().getCpuUsage().getTotalUsage(), usage, cache);
  }
}
