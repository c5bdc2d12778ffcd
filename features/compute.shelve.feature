@admin @changes-host
Feature: A shelved server holds nothing, and unshelving it off a dead host claims only the new one
  Shelving a server stops it; with nova's default `shelved_offload_time = 0`
  its compute host offloads it at once: the server is SHELVED_OFFLOADED, on
  no host, and its allocations are removed from Placement. A cloud that keeps
  shelved servers on their host (`shelved_offload_time` -1 or > 0) leaves it
  SHELVED; there the suite offloads it itself (`shelveOffload`) and says so. Deleting it then
  needs no compute host: nova-api deletes it itself. Unshelving it chooses a
  host afresh -- the suite names the other host (compute microversion 2.91,
  so only that scenario needs it) while the original one is down -- and
  claims the flavor there, and only there.

  Background:
    Given a target host the suite may take down
    And a flavor for the suite's servers
    And the Placement usages of every compute host are recorded as the baseline

  Scenario: A shelved and offloaded server holds no allocations
    Given the server "shelved" is ACTIVE on the target host
    When the server "shelved" is shelved and offloaded
    Then the server "shelved" is SHELVED_OFFLOADED, on no host
    And at once, the server "shelved" holds no allocations
    And at once, the usages of the target host are back to the baseline

  Scenario: Deleting a shelved and offloaded server is a local delete that leaves nothing
    Given the server "shelved" is ACTIVE on the target host
    When the server "shelved" is shelved and offloaded
    Then the server "shelved" is SHELVED_OFFLOADED, on no host
    When the server "shelved" is deleted
    Then the server "shelved" is gone
    And nova-api deleted the server "shelved" itself, without the compute host
    And at once, the server "shelved" holds no allocations
    And at once, the usages of the target host are back to the baseline

  @fault-control @two-computes @unshelve-to-host
  Scenario: Unshelving onto the other host while the original host is down claims exactly the flavor there
    Given the server "shelved" is ACTIVE on the target host
    When the server "shelved" is shelved and offloaded
    Then the server "shelved" is SHELVED_OFFLOADED, on no host
    When nova-compute on the target host is stopped and its service is forced down
    And the server "shelved" is unshelved onto the other host
    Then the server "shelved" becomes ACTIVE on the other host
    And the server "shelved" holds exactly its flavor on the provider of the other host
    And the usages of the target host are at the baseline
    And the usages of the server "shelved"'s host rose by exactly its flavor
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched
