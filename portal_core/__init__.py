"""The portal's ground floor: helpers that are about no ITA data.

Thai formatting, upload checks, reading and writing spreadsheets, the cell parsing and resource
base of every Excel sheet, form rules with Thai field errors, the free-text length limit and the
history differ. It is not a Django app, and it imports none of the portal's apps; every app may
import it (tests/test_layers.py holds both rules).
"""
