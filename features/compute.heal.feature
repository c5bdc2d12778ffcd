@admin @fault-control @changes-host
Feature: A compute service frees, when it starts, what a local delete left behind
  If nova-api cannot reach Placement while it deletes a server locally, the
  server's allocations stay behind: nova-api logs a warning and carries on.
  nova-compute frees them when it starts again -- at start-up, before it
  first reports up, its resource tracker removes the allocations on its
  provider whose consumer is a deleted server. After a clean local delete there is nothing left to free,
  and a restart frees nothing twice.

  Background:
    Given a target host the suite may take down
    And a flavor for the suite's servers
    And the Placement usages of every compute host are recorded as the baseline

  @placement-path
  Scenario: Allocations left behind by a local delete are freed when nova-compute starts again
    Given the server "doomed" is ACTIVE on the target host
    When nova-compute on the target host is stopped and its service is forced down
    And nova-api's path to Placement is cut
    And the server "doomed" is deleted
    Then the server "doomed" is gone
    And nova-api deleted the server "doomed" itself, without the compute host
    And the server "doomed" still holds exactly its flavor on the provider of the target host
    And the usages of the target host are still raised by the flavor of the server "doomed"
    And nova's placement audit finds the server "doomed" orphaned on the provider of the target host, and nothing else
    When nova-api's path to Placement is restored
    And nova-compute on the target host is started again
    Then by its first heartbeat, the usages of the target host are back to the baseline
    And the server "doomed" holds no allocations
    When the compute service of the target host is no longer forced down
    Then the compute service of the target host is up, enabled and not forced down
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched

  Scenario: Restarting nova-compute after a clean local delete frees nothing twice
    Given the server "keeper" is ACTIVE on the target host
    And the Placement usages of every compute host are recorded as the baseline
    And the server "doomed" is ACTIVE on the target host
    When nova-compute on the target host is stopped and its service is forced down
    And the server "doomed" is deleted
    Then at once, the usages of the target host are back to the baseline
    When nova-compute on the target host is started again
    And the compute service of the target host is no longer forced down
    Then the compute service of the target host is up, enabled and not forced down
    And the usages of the target host are at the baseline
    And the server "keeper" still holds exactly its flavor on the provider of the target host
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched
