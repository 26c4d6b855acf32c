"""Wire protocol (``sync.protocol``), sync client (``sync.client``) and the central server
(``sync.server``). The desktop app needs none of it to start: offline is normal.
"""
