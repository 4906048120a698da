"""Delivery to employers' HR systems: outbox, payloads, the delivery engine, connectors, people.

Learns of credential changes through the core's in-transaction signal.
"""
