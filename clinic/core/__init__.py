"""Domain rules and services: pure Python over a store, no UI."""
