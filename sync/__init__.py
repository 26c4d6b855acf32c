"""Wire protocol, sync client and central server — arrives with the sync issue."""
