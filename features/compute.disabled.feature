@admin @changes-host
Feature: A disabled compute service is not a down one
  Disabling a compute service only keeps the scheduler from choosing its host.
  nova-compute still runs there, so deleting a server on a disabled host is an
  ordinary delete, carried out by the compute service, and it frees the
  server's allocations. The service stays disabled until it is enabled again.

  Background:
    Given a target host the suite may disable
    And a flavor for the suite's servers
    And the Placement usages of every compute host are recorded as the baseline

  @live-host-delete
  Scenario: Deleting a server on a disabled host is an ordinary delete
    Given the server "resident" is ACTIVE on the target host
    When the compute service of the target host is disabled with the reason "acceptance suite: disabled is not down"
    Then the compute service of the target host is up and disabled
    When the server "resident" is deleted
    Then the server "resident" is gone
    And the compute host deleted the server "resident", not nova-api alone
    And the server "resident" holds no allocations
    And the usages of the target host are back to the baseline
    And the compute service of the target host is still disabled with the reason "acceptance suite: disabled is not down"

  Scenario: A disabled host is given no new servers
    Given the compute service of the target host is disabled with the reason "acceptance suite: no new servers"
    When the server "refused" is booted on the target host
    Then the server "refused" goes to ERROR because no valid host was found
    And the server "refused" holds no allocations
    And the usages of the target host are at the baseline
