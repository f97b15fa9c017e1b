"""Instructor tooling for running the course in a room: release, grade, record, cost, serve.

Everything here is for the person at the front of the room: `hero workshop …` builds the
student copy, grades a folder of submitted notebooks, records model answers for offline
replay, estimates spend, and `hero serve` shares one local model with the room.
"""
