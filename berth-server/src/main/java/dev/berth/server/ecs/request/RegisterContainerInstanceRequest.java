package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.Attribute;
import dev.berth.server.ecs.shape.Resource;
import dev.berth.server.ecs.shape.VersionInfo;
import dev.berth.server.ecs.state.Tag;
import java.util.List;

/**
 * ECS's {@code RegisterContainerInstanceRequest}. The stored instance keeps its version info as
 * JSON, and the resources are read from JSON, so the operation turns these back into JSON.
 */
public record RegisterContainerInstanceRequest(
    String cluster,
    String instanceIdentityDocument,
    List<Resource> totalResources,
    VersionInfo versionInfo,
    String containerInstanceArn,
    List<Attribute> attributes,
    List<Tag> tags) {}
