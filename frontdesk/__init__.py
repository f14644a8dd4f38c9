"""frontdesk: the front desk of a community party-and-public service center."""

__version__ = "0.1.0"
