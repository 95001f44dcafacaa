/**
 * The ECS requests Berth serves, as records named and laid out as the published model's input
 * shapes: each is bound once from the body the front door checked against the model, and handed to
 * its operation. A record holds the members Berth reads; absent members are null.
 */
package dev.berth.server.ecs.request;
