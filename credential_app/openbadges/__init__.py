"""Open Badges 3.0: building, signing and verifying credentials, keys, status lists, baking, pages.

Listens to the core's signals; never imports HRIS.
"""
