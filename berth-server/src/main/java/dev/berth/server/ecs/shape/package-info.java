/**
 * The ECS model's structures that requests carry and services and tasks keep, as records named and
 * laid out as the published model names them; absent members are null and are left out of JSON.
 */
package dev.berth.server.ecs.shape;
