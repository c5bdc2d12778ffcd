@admin
Feature: A booted server holds exactly its flavor in Placement
  When nova schedules a server it claims the server's resources in Placement:
  one set of allocations for the server (the consumer), against the resource
  provider of the compute host the server lands on, holding the flavor's
  VCPU, MEMORY_MB and DISK_GB -- no more, no less, and nowhere else.

  Background:
    Given the Placement usages of every compute host are recorded as the baseline

  Scenario Outline: A server of <vcpus> VCPU, <ram> MB of RAM and <disk> GB of disk allocates exactly its flavor
    Given a flavor with <vcpus> VCPU, <ram> MB of RAM and <disk> GB of disk
    When the server "probe" is booted with that flavor
    Then the server "probe" becomes ACTIVE
    And the server "probe" holds exactly its flavor on the provider of its host
    And the usages of the server "probe"'s host rose by exactly its flavor
    And the usages of every other compute host are at the baseline

    Examples: flavors the suite creates
      | vcpus | ram  | disk |
      | 1     | 512  | 1    |
      | 2     | 2048 | 5    |
