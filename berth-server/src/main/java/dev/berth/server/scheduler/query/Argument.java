package dev.berth.server.scheduler.query;

/** One value of an expression's argument, unquoted, with where it starts for error messages. */
record Argument(String text, int position) {}
