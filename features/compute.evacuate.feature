@admin @fault-control @changes-host @two-computes @evacuate
Feature: Evacuating a server off a dead compute host leaves nothing behind in Placement
  When a compute host dies, an operator fences it (stops nova-compute, forces
  its service down) and evacuates its servers: nova rebuilds each one on
  another host. Until the dead host's nova-compute starts again, the server's
  consumer holds its flavor on both hosts. When it starts, nova-compute
  removes the evacuated servers and their allocations on its own provider,
  at start-up as for the heal, and marks each evacuation migration
  `completed`.

  The suite asks for the evacuation at compute microversion 2.95: from 2.95
  on, nova keeps an evacuated server stopped, so it arrives SHUTOFF on the
  other host (below 2.95 it would arrive ACTIVE).

  nova refuses to un-force the dead host (400, "`done` evacuation migration
  records remain") until its nova-compute has started and cleaned up. So the
  suite puts a host back in this order, after a failure too: start
  nova-compute, wait until no evacuation off the host is `done`, un-force.

  nova's own auditor (`nova-manage placement audit`) counts the source's
  allocation of an evacuated server as orphaned while the source is down:
  it knows the servers on a host and the migrations in progress, and a
  `done` evacuation is neither. Once the source has started and cleaned up,
  it finds nothing.

  Background:
    Given a target host the suite may take down
    And a flavor for the suite's servers
    And the Placement usages of every compute host are recorded as the baseline

  Scenario: An evacuated server arrives SHUTOFF on the other host and holds its flavor on both hosts while the source is down
    Given the server "evacuee" is ACTIVE on the target host
    When nova-compute on the target host is stopped and its service is forced down
    And the server "evacuee" is evacuated to the other host
    Then the server "evacuee" arrives SHUTOFF on the other host
    And the evacuation of the server "evacuee" is done
    And the server "evacuee" holds exactly its flavor on each provider of the target host and the other host
    And the usages of the target host are still raised by the flavor of the server "evacuee"
    And the usages of the server "evacuee"'s host rose by exactly its flavor
    And nova's placement audit finds the server "evacuee" orphaned on the provider of the target host, and nothing else

  Scenario: The source host, started again, removes the evacuated server's allocations there
    Given the server "evacuee" is ACTIVE on the target host
    When nova-compute on the target host is stopped and its service is forced down
    And the server "evacuee" is evacuated to the other host
    Then the server "evacuee" arrives SHUTOFF on the other host
    And the evacuation of the server "evacuee" is done
    When nova-compute on the target host is started again
    Then at once, the evacuation of the server "evacuee" is completed
    And the server "evacuee" holds exactly its flavor on the provider of the other host
    And at once, the usages of the target host are back to the baseline
    And the usages of the server "evacuee"'s host rose by exactly its flavor
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched

  @live-host-delete
  Scenario: Deleting an evacuated server while its source host is down frees both hosts
    Given the server "evacuee" is ACTIVE on the target host
    When nova-compute on the target host is stopped and its service is forced down
    And the server "evacuee" is evacuated to the other host
    Then the server "evacuee" arrives SHUTOFF on the other host
    When the server "evacuee" is deleted
    Then the server "evacuee" is gone
    And the server "evacuee" holds no allocations
    And at once, the usages of the target host are back to the baseline
    And at once, the usages of the other host are back to the baseline
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched

  Scenario: The source host is un-forced only after it has started and cleaned up
    Given the server "evacuee" is ACTIVE on the target host
    When nova-compute on the target host is stopped and its service is forced down
    And the server "evacuee" is evacuated to the other host
    Then the server "evacuee" arrives SHUTOFF on the other host
    And the evacuation of the server "evacuee" is done
    And un-forcing the compute service of the target host is refused because done evacuations remain
    When nova-compute on the target host is started again
    And the compute service of the target host is no longer forced down
    Then the compute service of the target host is up, enabled and not forced down
    And the usages of the target host are at the baseline
    And nova's placement audit finds nothing orphaned on the hosts the scenario touched
