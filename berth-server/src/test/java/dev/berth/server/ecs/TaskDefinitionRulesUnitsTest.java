package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.AwsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How ECS reads a task's cpu (units or vCPUs) and memory (MiB or GB) strings. */
class TaskDefinitionRulesUnitsTest {
  @ParameterizedTest(name = "\"{0}\" is {1} CPU units")
  @CsvSource(
      delimiter = '|',
      value = {
        "1024        | 1024",
        "128         | 128",
        "' 256 '     | 256",
        "1 vCPU      | 1024",
        "1 vcpu      | 1024",
        "2vCPU       | 2048",
        "0.5 vcpu    | 512",
        ".25 vCPU    | 256",
        "0.125 vCPU  | 128",
        "192 vCPU    | 196608"
      })
  void cpuIsReadInUnitsOrVcpus(String cpu, int units) {
    assertThat(TaskDefinitionRules.cpuUnits(cpu)).isEqualTo(units);
  }

  @ParameterizedTest(name = "\"{0}\" is {1} MiB")
  @CsvSource(
      delimiter = '|',
      value = {
        "2048    | 2048",
        "512     | 512",
        "2 GB    | 2048",
        "2GB     | 2048",
        "1 gb    | 1024",
        "0.5 GB  | 512",
        "1.5GB   | 1536"
      })
  void memoryIsReadInMibOrGigabytes(String memory, int mib) {
    assertThat(TaskDefinitionRules.memoryMiB(memory)).isEqualTo(mib);
  }

  @ParameterizedTest(name = "cpu \"{0}\" is refused")
  @ValueSource(
      strings = {"", "lots", "-1", "1.5", "1024 units", "0.0001 vCPU", "vCPU", "99999999999"})
  void cpuThatIsNotUnitsOrVcpusIsRefused(String cpu) {
    assertThatThrownBy(() -> TaskDefinitionRules.cpuUnits(cpu))
        .isInstanceOf(AwsException.class)
        .hasMessage("Invalid 'cpu' setting for task.");
  }

  @ParameterizedTest(name = "memory \"{0}\" is refused")
  @ValueSource(strings = {"", "2 TB", "2 GiB", "512 MiB", "-512", "0.0001 GB", "3000000 GB"})
  void memoryThatIsNotMibOrGigabytesIsRefused(String memory) {
    assertThatThrownBy(() -> TaskDefinitionRules.memoryMiB(memory))
        .isInstanceOf(AwsException.class)
        .hasMessage("Invalid 'memory' setting for task.");
  }
}
