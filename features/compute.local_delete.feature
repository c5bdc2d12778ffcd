@admin @fault-control @changes-host
Feature: Deleting a server whose compute host is down frees its resources at once
  While a server's compute service is down, nova-api cannot hand the delete to
  it. nova-api deletes the server itself -- a "local delete" -- and removes the
  server's allocations from Placement in the same request, without waiting
  for the compute host to come back. Nothing on any other host changes.

  A compute service counts as down as soon as it is forced down. Like an
  operator fencing a host, the suite first stops, kills or freezes
  nova-compute, and only on a host that runs no servers but the suite's own.
  A frozen nova-compute (SIGSTOP) still runs, but sends no heartbeat and
  takes no request: down once forced down, as a stopped one.

  Background:
    Given a target host the suite may take down
    And a flavor for the suite's servers
    And the Placement usages of every compute host are recorded as the baseline

  Scenario Outline: A local delete after nova-compute was <taken down> frees the allocations at once
    Given the server "doomed" is ACTIVE on the target host
    When nova-compute on the target host is <taken down> and its service is forced down
    Then the compute service of the target host is down
    When the server "doomed" is deleted
    Then the server "doomed" is gone
    And nova-api deleted the server "doomed" itself, without the compute host
    And at once, the server "doomed" holds no allocations
    And at once, the usages of the target host are back to the baseline
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched

    Examples: stopped, as an operator stops a service
      | taken down |
      | stopped    |

    @kill
    Examples: killed, as a host dies
      | taken down       |
      | killed (kill -9) |

    @freeze
    Examples: frozen, as a host that hangs: a frozen nova-compute (SIGSTOP) is down once forced down, and a delete is local
      | taken down       |
      | frozen (SIGSTOP) |

  @two-computes
  Scenario: Only the host that went down changes
    Given the server "bystander" is ACTIVE on the other host
    And the Placement usages of every compute host are recorded as the baseline
    And the server "doomed" is ACTIVE on the target host
    When nova-compute on the target host is stopped and its service is forced down
    And the server "doomed" is deleted
    And nova-compute on the target host is started again
    And the compute service of the target host is no longer forced down
    Then the server "bystander" is still ACTIVE on the other host
    And the server "bystander" holds exactly its flavor on the provider of the other host
    And the usages of the other host stayed at the baseline at every step
    And the compute service of the other host is up, enabled and not forced down
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched
