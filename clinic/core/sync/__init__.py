"""Merging laptops into the district database (issue 11; docs/sync.md).

``keys`` the district's and the laptops' keys (PyNaCl), ``bundle`` the file format
of a bundle (sealed to the district, signed by the laptop), ``enrol`` a laptop's
base, ``exporting`` bundles out of a laptop, ``importing`` bundles into the
district, with its status and conflicts.
"""
