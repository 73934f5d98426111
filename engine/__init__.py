"""The numpy engine: math only, no Qt and no playground imports.

Layers import downwards only: ``playground`` uses ``engine``, never the other way round.
"""
