"""Demand signals: the shift detector (``detect``) is pure Python + numpy/scipy and
knows nothing of Django; ``projects.services.signals`` feeds it the city's series."""
