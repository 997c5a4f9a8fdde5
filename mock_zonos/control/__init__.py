"""The mock's own control plane under /_mock/: nothing here is part of the Zonos API."""
