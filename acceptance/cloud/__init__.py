"""Talking to the cloud: the one connection factory, the openstacksdk
wrappers, the changes the suite makes (servers, flavors, compute services)
with the fault control that takes computes down, and the waits on them."""
