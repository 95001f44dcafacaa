package dev.berth.agent.runtime;

/**
 * What the agent registers about its host: the Docker engine, the API version in use and the
 * resources the engine sees.
 */
public record RuntimeInfo(
    String serverVersion,
    String apiVersion,
    int cpus,
    long memoryMiB,
    String osType,
    String architecture) {}
